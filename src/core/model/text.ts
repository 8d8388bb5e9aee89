/**
 * Text from data (phase names, titles, file metadata, messages that quote
 * them) as it is drawn: without Unicode's bidirectional controls. A phase
 * named "Na\u202E3" (right-to-left override) would otherwise reverse what is
 * drawn after it: "Na3 11.8 %" shown as "Na3 % 8.11". Used by the views, the
 * notebook renderer and the figures they export.
 */

/** Embeddings, overrides, isolates and marks (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** `text` without bidirectional controls. */
export function displayText(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** The message of any thrown value, on one line (errors as the CLI and the panel show them). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
