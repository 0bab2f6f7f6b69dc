// Which language a file is, by its name.

export type Language = 'python';

/** 'python' for `.py` and `.pyi` files, null for everything else. */
export function languageOf(path: string): Language | null {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return null;
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot < slash) return null;
  const ext = path.slice(dot + 1);
  return ext === 'py' || ext === 'pyi' ? 'python' : null;
}
