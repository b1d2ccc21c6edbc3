import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi } from '../test/fakeApi';
import { project } from '../test/fixtures';
import { APP_CHECK_TOKEN, renderScreen } from '../test/renderScreen';
import { StoryScreen } from './StoryScreen';

const STYLES = {
  styles: [
    { id: 'storybook', label: 'Storybook', swatches: ['#fff'] },
    { id: 'noir', label: 'Noir', swatches: [] },
  ],
};

describe('Story', () => {
  it('counts characters and words and estimates the movie length as the story is typed', async () => {
    fakeApi({ 'GET /api/compose/v1/styles': () => STYLES });
    renderScreen(<StoryScreen />, { path: '/new' });
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    await userEvent.type(screen.getByLabelText('Your story'), words);
    expect(screen.getByText(`${words.length} characters · 50 words`)).toBeInTheDocument();
    // 50 words at 2.5 a second.
    expect(screen.getByText('Your movie: about 20 s')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Target length'), '30');
    expect(screen.getByText('Your movie: about 20 s')).toBeInTheDocument();
  });

  it('says when the story is longer than the target length', async () => {
    fakeApi({ 'GET /api/compose/v1/styles': () => STYLES });
    renderScreen(<StoryScreen />, { path: '/new' });
    await userEvent.click(screen.getByLabelText('Your story'));
    await userEvent.paste(Array.from({ length: 100 }, () => 'word').join(' '));
    await userEvent.selectOptions(screen.getByLabelText('Target length'), '30');
    expect(screen.getByText('About 40 s to read: the movie keeps the first 30 s')).toBeInTheDocument();
  });

  it('creates the project with its choices, makes the storyboard, and moves on to it', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/styles': () => STYLES,
      'POST /api/compose/v1/projects': () => project({ version: 1, scenes: [] }),
      'POST /api/compose/v1/projects/p1/storyboard': () => project({ version: 2 }),
    });
    const { router } = renderScreen(<StoryScreen />, {
      path: '/new',
      extraRoutes: ['/projects/:projectId/storyboard'],
    });
    await userEvent.type(screen.getByLabelText('Title'), '  The Fox ');
    await userEvent.click(screen.getByLabelText('Your story'));
    await userEvent.paste('A fox lived by the sea. She watched the stars.');
    await userEvent.click(screen.getByRole('radio', { name: /Vertical/ }));
    await userEvent.click(await screen.findByRole('radio', { name: 'Noir' }));
    await userEvent.click(screen.getByRole('button', { name: 'Make the storyboard' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/projects/p1/storyboard'));
    const [created] = api.sent('POST', '/api/compose/v1/projects');
    expect(created?.body).toEqual({
      title: 'The Fox',
      story: 'A fox lived by the sea. She watched the stars.',
      targetSeconds: 60,
      aspect: '9:16',
      style: 'noir',
    });
    // Every call carries the user's token and the App Check token.
    expect(created?.headers.get('authorization')).toBe('Bearer dev:tester');
    expect(created?.headers.get('x-firebase-appcheck')).toBe(APP_CHECK_TOKEN);
    expect(api.sent('POST', '/api/compose/v1/projects/p1/storyboard')[0]?.body).toEqual({ version: 1 });
  });

  it('keeps the story and explains a refused request in words', async () => {
    fakeApi({
      'GET /api/compose/v1/styles': () => STYLES,
      'POST /api/compose/v1/projects': () =>
        apiError(429, 'rate_limited', 'You have made 10 movies today', { 'retry-after': '120' }),
    });
    renderScreen(<StoryScreen />, { path: '/new' });
    await userEvent.type(screen.getByLabelText('Title'), 'Fox');
    await userEvent.click(screen.getByLabelText('Your story'));
    await userEvent.paste('One two three four.');
    await userEvent.click(screen.getByRole('button', { name: 'Make the storyboard' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You have made 10 movies today. You can try again in 2 minutes.',
    );
    expect(screen.getByLabelText('Your story')).toHaveValue('One two three four.');
  });
});

describe('Story of an existing movie', () => {
  it('saves changes on the version on screen and makes a fresh storyboard when the story changed', async () => {
    const api = fakeApi({
      'GET /api/compose/v1/styles': () => STYLES,
      'GET /api/compose/v1/projects/p1': () => project(),
      'PATCH /api/compose/v1/projects/p1': () => project({ version: 4 }),
      'POST /api/compose/v1/projects/p1/storyboard': () => project({ version: 5 }),
    });
    const { router } = renderScreen(<StoryScreen />, {
      path: '/projects/p1/story',
      extraRoutes: ['/projects/:projectId/storyboard'],
    });
    const story = await screen.findByLabelText('Your story');
    expect(story).toHaveValue('A fox. A star. The sea.');
    await userEvent.type(story, ' The end.');
    await userEvent.click(screen.getByRole('button', { name: 'Make the storyboard' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/projects/p1/storyboard'));
    expect(api.sent('PATCH', '/api/compose/v1/projects/p1')[0]?.body).toMatchObject({
      version: 3,
      story: 'A fox. A star. The sea. The end.',
    });
    expect(api.sent('POST', '/api/compose/v1/projects/p1/storyboard')[0]?.body).toEqual({ version: 4 });
  });
});
