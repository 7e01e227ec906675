/** FNV-1a's offset basis: where a hash of nothing starts. */
export const FNV_OFFSET = 0x811c9dc5;

/**
 * FNV-1a (32 bits) of a text's UTF-16 code units, continuing from `h` (a hash of what came before
 * it): for tables that tell apart what shares a hash.
 */
export function hashText(text: string, h = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
