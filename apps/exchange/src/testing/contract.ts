import { OpenApiResponseChecker } from '@sd/http/openapi-check';
import type { OpenApiDocument } from '@sd/http/openapi';

interface Seen {
  method: string;
  url: string;
  status: number;
  text: string;
}

/**
 * Every HTTP answer an end-to-end suite sees, checked at the end against the OpenAPI document
 * the exchange serves: the contract is what the server answers, not what a test hoped.
 */
export class ContractRecorder {
  private readonly seen: Seen[] = [];

  record(method: string, url: string, status: number, text: string): void {
    this.seen.push({ method, url, status, text });
  }

  get count(): number {
    return this.seen.length;
  }

  /** The served document (GET /api/openapi.json). */
  static async documentOf(baseUrl: string): Promise<OpenApiDocument> {
    return (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
  }

  /** Each answer that does not match `document`, with why. */
  mismatches(document: OpenApiDocument): string[] {
    const checker = new OpenApiResponseChecker(document);
    return this.seen.flatMap(({ method, url, status, text }) => {
      const why = checker.check(method, url, status, text);
      return why === null ? [] : [why];
    });
  }
}
