import { createHash } from 'node:crypto';
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

  it("is the article's bot-assistant.json byte for byte (4 spaces, no final newline)", () => {
    const text = read('bot-assistant.json');
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 4));
    // sha256 of state-machines/bot-assistant.json in the article's repository (infinyon/fluvio-demo-apps-node, bot-assistant/).
    expect(createHash('sha256').update(text).digest('hex')).toBe('49087df8b504ad23347a2dee705e98443aaa7e1dcd684b03e4caadd3c4ac4054');
  });

  it('together use every request and response kind, chat prompts and some HTML', () => {
    expect(samples).toEqual(expect.arrayContaining(['bot-assistant.json', 'support-triage.json', 'onboarding-survey.json']));
    const all = samples.map(read).join('\n');
    for (const fragment of ['"BotText"', '"ChoiceRequest"', '"StartChatSession"', '"EndChatSession"', '"ChoiceResponse"', '"UserText"', '"chatPrompt"', '"chatText"', '<b>', '<a href=']) {
      expect(all).toContain(fragment);
    }
  });
});
