/** FNV-1a of a text's UTF-16 code units, as a 32-bit integer: for tables that tell apart what shares a hash. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
