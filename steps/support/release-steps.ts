/**
 * The steps whose checks look at the `*` releases a device received after an action (the release
 * itself, its form, its order before the sets, its label, its absence). Before its action, a
 * scenario waits for the releases its set-up caused to the devices such steps name, so that a
 * late one is never taken for the action's; it does not wait for any other release, since nothing
 * else judges them (the settled judgement judges what devices hold). Each such step is defined
 * with releaseStep(), so the list cannot drift from the step definitions.
 */
import { PARAMETER_PATTERNS } from './parameter-patterns';

const matchers: Array<{ expression: string; re: RegExp }> = [];

/** A cucumber expression of our parameter types as an anchored regular expression. */
export function expressionRegExp(expression: string): RegExp {
  if (/[()/\\]/.test(expression))
    throw new Error(`release step "${expression}": optional text, alternatives and escapes are not supported here`);
  const source = expression.replace(/\{(\w*)\}|[.*+?^$|[\]]/g, (m: string, name?: string) => {
    if (name === undefined) return `\\${m}`;
    if (name === 'string') return `(?:"[^"]*"|'[^']*')`;
    const p = PARAMETER_PATTERNS[name as keyof typeof PARAMETER_PATTERNS];
    if (!p) throw new Error(`release step "${expression}": unknown parameter type {${name}}`);
    return `(?:${p.source})`;
  });
  return new RegExp(`^${source}$`);
}

/** Registers a step expression as one that looks at releases; returns it for Then(). */
export function releaseStep(expression: string): string {
  matchers.push({ expression, re: expressionRegExp(expression) });
  return expression;
}

/** The devices whose releases a scenario step looks at: none unless it is a release step. */
export function releasesLookedAt(stepText: string): string[] {
  if (!matchers.some((m) => m.re.test(stepText))) return [];
  return stepText.match(new RegExp(PARAMETER_PATTERNS.device.source, 'g')) ?? [];
}

/** The registered expressions (for tests). */
export const releaseStepExpressions = (): string[] => matchers.map((m) => m.expression);
