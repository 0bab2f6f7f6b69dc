// Plain words for why a file could not be read, for messages such as "cannot read file: ...".

/**
 * ENOENT, EACCES/EPERM and EISDIR in words, any other error by its message. `missing` is what ENOENT
 * says: "no such file or directory" for a path that may be either, "no such file" where only a file
 * is looked for (a config file).
 */
export function describeIoError(e: unknown, missing = 'no such file or directory'): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return missing;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err?.message ?? String(e);
  }
}
