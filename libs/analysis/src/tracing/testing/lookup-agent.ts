import { Agent, tool } from '@openai/agents';
import { z } from 'zod';
import { BUILTIN_MODEL_NAME } from '@app/models';

/** Words that are data: in the prompt, the tool's input and its output. No span may hold them. */
export const PROMPT_MARKER = 'prompt-marker-7f3a';
export const INPUT_MARKER = 'tool-input-marker-91bc';
export const OUTPUT_MARKER = 'tool-output-marker-c4d2';

/**
 * An agent on the builtin model with one `lookup` tool: run with `{"key": INPUT_MARKER}` it
 * calls the tool (INPUT_MARKER in), gets OUTPUT_MARKER back and answers, in two turns.
 */
export function lookupAgent(name = 'lookup-agent'): Agent {
  return new Agent({
    name,
    instructions: `Look it up. ${PROMPT_MARKER}`,
    model: BUILTIN_MODEL_NAME,
    tools: [
      tool({
        name: 'lookup',
        description: 'Looks a key up',
        parameters: z.object({ key: z.string() }),
        execute: ({ key }) => JSON.stringify({ found: `${key} ${OUTPUT_MARKER}` }),
      }),
    ],
  });
}
