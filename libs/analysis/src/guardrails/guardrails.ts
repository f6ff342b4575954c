import type { AgentOutputType, InputGuardrail, OutputGuardrail } from '@openai/agents';
import type { InputScreening, ScreeningScope } from './input-screening';
import { numbersIn, numbersNotFromTools, toolOutputTexts } from './tool-numbers';

/**
 * The input guardrail of an agent reading `scope` of the input: it trips on oversize input
 * and on prompt-injection text in what that agent's model would read. It runs before the
 * model (`runInParallel: false`): a tripped input never reaches a model.
 */
export function inputScreeningGuardrail(
  screening: InputScreening,
  scope: ScreeningScope,
): InputGuardrail {
  return {
    name: 'input_screening',
    runInParallel: false,
    execute: async ({ input }) => {
      const reason = await screening.refusal(
        scope,
        typeof input === 'string' ? input : JSON.stringify(input),
      );
      return { tripwireTriggered: reason !== undefined, outputInfo: { reason } };
    },
  };
}

/**
 * The output guardrail of every agent: every number its output shows must be in one of
 * the run's tool outputs (at the precision shown), so a model cannot put a number of its
 * own into a result.
 */
export function numbersFromToolsGuardrail<
  Output extends AgentOutputType,
>(): OutputGuardrail<Output> {
  return {
    name: 'numbers_from_tools',
    execute: ({ agentOutput, details }) => {
      const invented = numbersNotFromTools(
        numbersIn(agentOutput),
        toolOutputTexts(details?.output ?? []),
      );
      const reason =
        invented.length === 0
          ? undefined
          : `the output shows ${invented.slice(0, 5).join(', ')}${invented.length > 5 ? ', …' : ''}, which no tool output holds`;
      return Promise.resolve({ tripwireTriggered: reason !== undefined, outputInfo: { reason } });
    },
  };
}

/** The reason a guardrail gave when it tripped (see the `outputInfo` above). */
export function guardrailReason(outputInfo: unknown): string {
  const reason = (outputInfo as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : 'tripped';
}
