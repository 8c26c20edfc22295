/**
 * The CLI's errors as people read them: a usage error (exit 2 with its
 * message) and a system error as one line, its code and what it means
 * (`ENOSPC (no space left on device)`), never a stack trace.
 */

/** A usage or input/output error: exit 2 with its message. */
export class UsageError extends Error {}

const MEANING: Record<string, string> = {
  EACCES: 'permission denied',
  EBADF: 'bad file descriptor',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'file exists',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EISDIR: 'is a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'not a directory',
  ENXIO: 'no such device or address',
  EPERM: 'operation not permitted',
  EPIPE: 'broken pipe',
  EROFS: 'read-only file system',
  ETXTBSY: 'text file busy',
};

export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') {
    const meaning = MEANING[e.code];
    return meaning !== undefined ? `${e.code} (${meaning})` : e.code;
  }
  return e instanceof Error ? e.message : String(err);
}
