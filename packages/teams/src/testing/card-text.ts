/**
 * A card's words by how Teams reads them: TextBlocks and facts as markdown, TextRuns as written.
 * For tests that check what someone typed shows as typed.
 */

function* nodes(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) {
    for (const child of node) yield* nodes(child);
    return;
  }
  if (node === null || typeof node !== "object") return;
  yield node as Record<string, unknown>;
  for (const child of Object.values(node)) yield* nodes(child);
}

/** Every text Teams reads as markdown: TextBlock texts, and FactSet titles and values. */
export function markdownTexts(card: unknown): string[] {
  const found: string[] = [];
  for (const node of nodes(card)) {
    if (node.type === "TextBlock" && typeof node.text === "string") found.push(node.text);
    if (node.type === "FactSet" && Array.isArray(node.facts)) {
      for (const fact of node.facts as { title?: unknown; value?: unknown }[]) {
        if (typeof fact.title === "string") found.push(fact.title);
        if (typeof fact.value === "string") found.push(fact.value);
      }
    }
  }
  return found;
}

/** Every text Teams shows as written: TextRuns (and the shorthand of a run as a bare string). */
export function literalTexts(card: unknown): string[] {
  const found: string[] = [];
  for (const node of nodes(card)) {
    if (node.type === "TextRun" && typeof node.text === "string") found.push(node.text);
    if (node.type === "RichTextBlock" && Array.isArray(node.inlines)) {
      for (const inline of node.inlines) if (typeof inline === "string") found.push(inline);
    }
  }
  return found;
}
