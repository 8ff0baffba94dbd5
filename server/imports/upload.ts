/**
 * CSV uploads without cookies: the admin session and the CSRF token travel as form fields placed before
 * the file, so they are checked before a byte of the file is kept; the file streams to a temporary file
 * (never held in memory whole), cut off at the size limit, and the temporary file is deleted when the
 * response ends. The fields become `req.body`, as for any admin form, for the usual session and CSRF checks.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import busboy from 'busboy';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { isValidCsrfToken, verifySession, type SessionKeys } from '../http/admin-session.ts';

export interface Upload {
  /** The temporary file; deleted when the response ends. */
  path: string;
  filename: string;
  mimeType: string;
  bytes: number;
  /** The file was longer than the limit: only its start was kept. */
  truncated: boolean;
}

/** The uploaded file of a multipart request parsed by `multipartUpload`, if any. */
export function uploadOf(req: Request): Upload | undefined {
  return (req as Request & { upload?: Upload }).upload;
}

/** Parses multipart form posts (one file, field `file`); any other request passes through untouched. */
export function multipartUpload(keys: SessionKeys, maxBytes: number): RequestHandler {
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    const fields: Record<string, string | string[]> = {};
    let upload: Upload | undefined;
    let writing: Promise<void> = Promise.resolve();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 50, fieldSize: 16 * 1024 } });
    } catch {
      return next(new AppError('bad_request', 'The upload could not be read. Choose the file again and send it.'));
    }
    parser.on('field', (name, value) => {
      const previous = fields[name];
      fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || upload) {
        stream.resume();
        return;
      }
      const file: Upload = {
        path: path.join(tmpdir(), `backorder-upload-${randomUUID()}.csv`),
        filename: info.filename ?? '',
        mimeType: info.mimeType,
        bytes: 0,
        truncated: false,
      };
      upload = file;
      // The file waits (busboy holds the request) until the session and CSRF token sent before it are checked.
      writing = (async () => {
        const session = await verifySession(keys, fields.session);
        // Without a valid session and CSRF token, the bytes are read and dropped.
        if (!session.ok || !isValidCsrfToken(keys, session.session, fields._csrf)) {
          upload = undefined;
          stream.resume();
          return;
        }
        res.on('close', () => void unlink(file.path).catch(() => undefined));
        const out = createWriteStream(file.path);
        stream.on('data', (chunk: Buffer) => (file.bytes += chunk.length));
        const written = new Promise<void>((resolve, reject) => {
          out.on('finish', resolve);
          out.on('error', reject);
        });
        stream.pipe(out);
        await written;
        // Cut off at the size limit: busboy marks the stream (its 'limit' event may have passed while it waited).
        file.truncated = stream.truncated === true;
      })();
    });
    parser.on('error', () => next(new AppError('bad_request', 'The upload was cut short. Choose the file again and send it.')));
    parser.on('close', () => {
      writing.then(
        () => {
          req.body = fields;
          if (upload) (req as Request & { upload?: Upload }).upload = upload;
          next();
        },
        (error: unknown) => next(error),
      );
    });
    req.pipe(parser);
  };
}
