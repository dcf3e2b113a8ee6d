/**
 * Walks a Gherkin AST the way cucumber runs it — Rule blocks included — for the project's gplint
 * rules (scripts/lint/rules/). gplint 1.5.1's own structural rules look only at the Feature's
 * direct children, so a scenario inside `Rule:` escapes them (no-unnamed-scenarios,
 * no-files-without-scenarios, no-duplicate-tags, indentation, no-dupe-*-names and others);
 * ours use this walk instead.
 */
import type { Background, Examples, Feature, Rule, Scenario, Tag } from '@cucumber/messages';

export type NodeKind = 'Feature' | 'Rule' | 'Background' | 'Scenario' | 'Examples';

export interface WalkedNode {
  kind: NodeKind;
  node: Feature | Rule | Background | Scenario | Examples;
  /** The node it sits in (undefined for the Feature). */
  parent?: WalkedNode;
  /** Tags of the enclosing nodes, outermost first (what cucumber adds to a pickle). */
  inherited: readonly Tag[];
}

export interface LintError {
  message: string;
  rule: string;
  line: number;
  column: number;
}

function tagsOf(n: WalkedNode['node']): readonly Tag[] {
  return 'tags' in n ? n.tags : [];
}

/** Every Feature, Rule, Background, Scenario and Examples node, in file order. */
export function walk(feature: Feature): WalkedNode[] {
  const out: WalkedNode[] = [];
  const root: WalkedNode = { kind: 'Feature', node: feature, inherited: [] };
  out.push(root);
  const scenario = (s: Scenario, parent: WalkedNode) => {
    const w: WalkedNode = { kind: 'Scenario', node: s, parent, inherited: [...parent.inherited, ...tagsOf(parent.node)] };
    out.push(w);
    for (const ex of s.examples) out.push({ kind: 'Examples', node: ex, parent: w, inherited: [...w.inherited, ...s.tags] });
  };
  for (const child of feature.children) {
    if (child.background) out.push({ kind: 'Background', node: child.background, parent: root, inherited: [] });
    if (child.scenario) scenario(child.scenario, root);
    if (child.rule) {
      const r: WalkedNode = { kind: 'Rule', node: child.rule, parent: root, inherited: [...feature.tags] };
      out.push(r);
      for (const rc of child.rule.children) {
        if (rc.background) out.push({ kind: 'Background', node: rc.background, parent: r, inherited: [] });
        if (rc.scenario) scenario(rc.scenario, r);
      }
    }
  }
  return out;
}

/** "Scenario Outline" or "Scenario" as the file spells it, for messages. */
export function label(w: WalkedNode): string {
  return w.node.keyword.trim() || w.kind;
}

export function errorAt(rule: string, at: { line: number; column?: number }, message: string): LintError {
  return { rule, line: at.line, column: at.column ?? 0, message };
}
