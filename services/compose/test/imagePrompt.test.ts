import { describe, expect, it } from 'vitest';
import { planIllustration } from '../src/illustration/scenePlan.js';
import { imagePromptFor, MAX_PROMPT_CHARS, storyPlaces, styledPrompt } from '../src/imagePrompt.js';
import { STYLES } from '../src/styles.js';

describe('imagePromptFor', () => {
  it('keeps the words a picture can show and drops function words', () => {
    const prompt = imagePromptFor('The old lighthouse keeper lived alone on the rocky island.', 'en');
    for (const word of ['lighthouse', 'keeper', 'island']) expect(prompt).toContain(word);
    const keywords = (prompt.split(';')[0] as string).split(', ');
    for (const word of ['the', 'on', 'lived']) expect(keywords).not.toContain(word);
  });

  it('adds setting, time, weather, figure and mood phrases', () => {
    const prompt = imagePromptFor('At midnight the storm hit the harbour and she was afraid.', 'en');
    expect(prompt).toContain('by the sea');
    expect(prompt).toContain('at night');
    expect(prompt).toContain('in a storm');
    expect(prompt).toContain('a lone figure');
    expect(prompt).toContain('tense mood');
  });

  it('keeps names, found by their capital inside a sentence', () => {
    expect(imagePromptFor('Yesterday the fox met Marguerite near the river.', 'en')).toContain('Marguerite');
  });

  it('works in other languages and scripts', () => {
    expect(imagePromptFor('El viejo farero vivía junto al mar.', 'es')).toMatch(/farero/);
    expect(imagePromptFor('El viejo farero vivía junto al mar.', 'es')).toContain('by the sea');
    expect(imagePromptFor('Каждую ночь он зажигал маяк в лесу.', 'ru')).toMatch(/маяк.*in a forest.*at night/);
    expect(imagePromptFor('夜里，海边的灯塔亮着。', 'zh')).toMatch(/灯塔.*by the sea.*at night/);
  });

  it('falls back to the text when nothing stands out, and stays short', () => {
    expect(imagePromptFor('And so it was.', 'en')).toBe('And so it was.');
    expect(imagePromptFor('word '.repeat(500), 'en').length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
  });

  it('adds the style only for providers, after the scene words', () => {
    expect(styledPrompt('lighthouse; at night', STYLES.noir)).toBe(`lighthouse; at night. ${STYLES.noir.prompt}`);
  });
});

describe('a scene that names no place stays where the story is', () => {
  const story = [
    'On the edge of a grey northern sea stood a lighthouse.',
    'Tonight was his last night, for a machine would take his place.',
    'He walked into the dark forest behind the village.',
    'He did not look back.',
  ];

  it('carries the last place named to the scenes that name none', () => {
    expect(storyPlaces(story, 'en')).toEqual([undefined, 'sea', 'sea', 'forest']);
    // A lighthouse or a boat alone puts the story by the sea.
    expect(storyPlaces(['The small boat rocked.', 'Nobody spoke.'], 'en')).toEqual([undefined, 'sea']);
  });

  it('draws such a scene there, and a scene that names its own place in its own place', () => {
    const places = storyPlaces(story, 'en');
    const prompts = story.map((text, i) => imagePromptFor(text, 'en', places[i]));
    expect(prompts[1]).toContain('by the sea');
    expect(planIllustration(prompts[1] as string, 1, false).setting).toBe('sea');
    expect(prompts[2]).toContain('in a forest');
    expect(prompts[2]).not.toContain('by the sea');
    expect(planIllustration(prompts[3] as string, 1, false).setting).toBe('forest');
    // Without the story around it the same words leave the place open.
    expect(imagePromptFor(story[1] as string, 'en')).not.toContain('by the sea');
  });
});
