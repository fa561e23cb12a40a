import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFlowText } from '../runtime/flow/checkFlowText.ts';
import { compileFlow } from '../runtime/flow/compileFlow.ts';
import { parseConversationTests } from '../runtime/flow/parseConversationTests.ts';
import { runConversationTests } from '../runtime/flow/runConversationTest.ts';
import { serializeFlow } from '../runtime/flow/serializeFlow.ts';

const samplesDir = new URL('../state-machines/', import.meta.url);
const samples = readdirSync(samplesDir).filter((file) => file.endsWith('.json') && !file.endsWith('.layout.json') && !file.endsWith('.tests.json'));
const read = (file: string) => readFileSync(new URL(file, samplesDir), 'utf8');

describe('state-machines/*.json', () => {
  it.each(samples)('%s validates without errors or warnings and round-trips byte for byte', (file) => {
    const text = read(file);
    const result = checkFlowText(text);
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(serializeFlow(result.flow!, result.format)).toBe(text);
  });

  it.each(readdirSync(samplesDir).filter((file) => file.endsWith('.tests.json')))('%s parses and passes on its flow', (file) => {
    const tests = parseConversationTests(read(file));
    if (!tests.ok) throw new Error(tests.errors.map((e) => e.message).join('\n'));
    const flow = checkFlowText(read(file.replace(/\.tests\.json$/, '.json'))).flow!;
    expect(runConversationTests(compileFlow(flow), tests.file).results.filter((r) => !r.passed)).toEqual([]);
  });

  it('keeps the article flow in the article layout (4 spaces, final newline)', () => {
    const text = read('bot-assistant.json');
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 4) + '\n');
  });

  it('together use every request and response kind, chat prompts and some HTML', () => {
    expect(samples).toEqual(expect.arrayContaining(['bot-assistant.json', 'support-triage.json', 'onboarding-survey.json']));
    const all = samples.map(read).join('\n');
    for (const fragment of ['"BotText"', '"ChoiceRequest"', '"StartChatSession"', '"EndChatSession"', '"ChoiceResponse"', '"UserText"', '"chatPrompt"', '"chatText"', '<b>', '<a href=']) {
      expect(all).toContain(fragment);
    }
  });
});
