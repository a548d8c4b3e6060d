/** Finds where a field path, or a character inside a string value, sits in the YAML source. */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A field path as zod and our checks give it: keys and list indexes. */
export type FieldPath = readonly PropertyKey[];

/** 1-based place in the source. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Character offset of the node (or of the key when `atKey`) at `path`, or of its nearest parent. */
export function offsetOf(doc: Document, path: FieldPath, atKey = false): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return best;
      const keyAt = rangeStart(pair.key);
      if (keyAt !== undefined) best = keyAt;
      if (last && atKey) return best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return best;
    }
    // An empty value (`key:`) has no place of its own: keep pointing at the key.
    const at = rangeStart(node);
    if (at !== undefined && !(isScalar(node) && node.value === null)) best = at;
  }
  return best;
}

/**
 * Maps an offset into a string value back to the source, walking value and source side by side:
 * runs of whitespace match runs of whitespace (folding and indentation), other characters must
 * match in order, skipping indentation, escape and quote characters. Answers undefined when they drift apart.
 */
export function offsetInScalar(
  source: string,
  node: Node,
  valueOffset: number,
): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  if (valueOffset < 0 || valueOffset >= value.length) return undefined;
  let j = node.range[0];
  const end = node.range[1];
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    j = source.indexOf('\n', j) + 1;
    if (j === 0) return undefined;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    j++;
  }
  const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';
  let i = 0;
  while (i <= valueOffset) {
    if (isSpace(value[i])) {
      while (i < value.length && isSpace(value[i])) i++;
      while (j < end && isSpace(source[j])) j++;
      if (i > valueOffset) return j;
      continue;
    }
    while (j < end && source[j] !== value[i]) {
      // Only indentation, quoting and escaping may stand between matched characters.
      if (!isSpace(source[j]) && !'\\\'"'.includes(source[j])) return undefined;
      j++;
    }
    if (j >= end) return undefined;
    if (i === valueOffset) return j;
    i++;
    j++;
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** Turns an offset into a 1-based line and column. */
export function positionOf(lines: LineCounter, offset: number): SourcePosition {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
