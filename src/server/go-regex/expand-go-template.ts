/** Go's `Regexp.Expand` for label_replace's replacement: `$1`, `${1}`, `$name`, `$$`. */

/**
 * Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` become the captured text (empty when
 * the group did not take part or does not exist); `$$` is a literal `$`. A name is the longest
 * run of letters, digits and `_`, so `$1x` means `${1x}`. A `$` not followed by a valid name is
 * kept as is. A result longer than `maxLength` characters is given up as soon as it passes it
 * (answering `undefined`), so `$1$1$1…` over a long capture never builds a huge string.
 * @example
 * expandGoTemplate('$1-${2}x', /^(a)(b)$/.exec('ab')!); // 'a-bx'
 * expandGoTemplate('$1$1$1', /^(.*)$/.exec('abc')!, 5); // undefined
 */
export function expandGoTemplate(
  template: string,
  match: RegExpExecArray,
  maxLength = Number.POSITIVE_INFINITY,
): string | undefined {
  let dollar = template.indexOf('$');
  if (dollar < 0) return template.length > maxLength ? undefined : template;
  let out = '';
  let pos = 0;
  while (dollar >= 0) {
    if (out.length > maxLength) return undefined;
    out += template.slice(pos, dollar);
    let i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      pos = i + 1;
      dollar = template.indexOf('$', pos);
      continue;
    }
    const brace = template[i] === '{';
    if (brace) i++;
    const nameStart = i;
    while (i < template.length) {
      const cp = template.codePointAt(i)!;
      if (!isNameRune(cp)) break;
      i += cp > 0xffff ? 2 : 1;
    }
    const name = template.slice(nameStart, i);
    if (name === '' || (brace && template[i] !== '}')) {
      // Malformed reference: the '$' is literal text and scanning resumes right after it.
      out += '$';
      pos = dollar + 1;
      dollar = template.indexOf('$', pos);
      continue;
    }
    if (brace) i++;
    const captured = capture(name, match);
    if (out.length + captured.length > maxLength) return undefined;
    out += captured;
    pos = i;
    dollar = template.indexOf('$', pos);
  }
  out += template.slice(pos);
  return out.length > maxLength ? undefined : out;
}

const NAME_RUNE = /[\p{L}\p{Nd}_]/u;

function isNameRune(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 0x30 && cp <= 0x39) ||
      (cp >= 0x41 && cp <= 0x5a) ||
      (cp >= 0x61 && cp <= 0x7a) ||
      cp === 0x5f
    );
  }
  return NAME_RUNE.test(String.fromCodePoint(cp));
}

function capture(name: string, match: RegExpExecArray): string {
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const d = name.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + d;
  }
  // Go does not read a number with a leading zero as a group index.
  if (name.length > 1 && name[0] === '0') num = -1;
  if (num >= 0) return num < match.length ? (match[num] ?? '') : '';
  return match.groups?.[name] ?? '';
}
