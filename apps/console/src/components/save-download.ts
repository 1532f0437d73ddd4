import { unwrap } from '../api/client';

/** What openapi-fetch answers for a route read with `parseAs: 'blob'`. */
interface BlobOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The file name a reply's `Content-Disposition: attachment; filename="…"` gives, if any. */
export function attachmentFileName(contentDisposition: string | null): string | undefined {
  if (contentDisposition === null) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(contentDisposition)?.[1];
  if (encoded !== undefined) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(contentDisposition)?.[1];
}

/**
 * Fetches a download through the console's client (the route needs the
 * session's bearer header, which a plain link cannot send) and hands the
 * bytes to the browser as a file: under `fileName`, else the reply's own
 * name, else `fallbackName`. Answers the reply's headers (e.g. X-Truncated).
 */
export async function saveDownload(
  call: Promise<BlobOutcome>,
  names: { fileName?: string; fallbackName: string },
): Promise<Headers> {
  let response: Response | undefined;
  const blob = await unwrap(
    call.then((outcome) => {
      response = outcome.response;
      return outcome;
    }),
  );
  if (!(blob instanceof Blob) || response === undefined) {
    throw new TypeError('the download is not a file');
  }
  const { headers } = response;
  const name =
    names.fileName ?? attachmentFileName(headers.get('content-disposition')) ?? names.fallbackName;
  saveBlob(blob, name);
  return headers;
}

/** Saves bytes as a file through an object URL on a transient `<a download>`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the click's download started.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
