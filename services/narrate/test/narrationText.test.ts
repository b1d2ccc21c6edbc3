import { AppError } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';
import { assertVoiceReads, normaliseNarrationText } from '../src/narrationText.js';
import { findVoice } from '../src/voices.js';
import { writingSystemsOf } from '../src/writingSystems.js';

const voice = (id: string) => findVoice(id)!;

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('narration text', () => {
  it('collapses whitespace and drops control characters, so equal speech hashes equally', () => {
    expect(normaliseNarrationText('  Hello\n\n  world\u0007 ')).toBe('Hello world');
  });

  it('finds the writing systems of letters only', () => {
    expect([...writingSystemsOf('Hello, Москва! Αθήνα 北京 42 🙂')]).toEqual(['Latin', 'Cyrillic', 'Greek', 'Han']);
  });

  it('lets each voice read its own script and Latin names', () => {
    expect(() => assertVoiceReads(voice('ru-1'), [{ field: 'text', text: 'Привет, Anna!' }])).not.toThrow();
    expect(() => assertVoiceReads(voice('el-1'), [{ field: 'text', text: 'Γεια σου' }])).not.toThrow();
    expect(() => assertVoiceReads(voice('zh-1'), [{ field: 'text', text: '你好' }])).not.toThrow();
  });

  it('refuses with 422 text a voice would spell out, naming the field and the voices that can read it', () => {
    const err = refusal(() =>
      assertVoiceReads(voice('en-us-1'), [
        { field: 'scenes.0.text', text: 'Fine.' },
        { field: 'scenes.1.text', text: 'Привет, мой друг.' },
      ]),
    );
    expect(err.status).toBe(422);
    const fields = (err.details as { fields: { field: string; message: string }[] }).fields;
    expect(fields).toHaveLength(1);
    expect(fields[0]!.field).toBe('scenes.1.text');
    expect(fields[0]!.message).toContain('Cyrillic');
    expect(fields[0]!.message).toContain('ru-1');
  });

  it('says so when no voice reads a script', () => {
    const err = refusal(() => assertVoiceReads(voice('en-us-1'), [{ field: 'text', text: 'مرحبا' }]));
    expect((err.details as { fields: { message: string }[] }).fields[0]!.message).toContain('no voice reads it');
  });
});
