/**
 * Recognises which AWS protocol a request speaks and turns it into `{ service, operation, input }`;
 * encodes results and errors back the way each real service does. EC2 and STS speak (EC2) Query
 * with XML replies, Batch and Image Builder REST-JSON, Cost Explorer and Budgets JSON 1.1, CloudWatch JSON 1.0 in
 * awsQueryCompatible mode (what @aws-sdk/client-cloudwatch 3.11xx sends).
 */
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as stsSdk from '@aws-sdk/client-sts';
import { SimError } from '../core/contract.js';
import type { SimService } from '../core/contract.js';
import { decodeQueryInput, parseForm } from './query-decode.js';
import { escapeXml, writeXmlMembers } from './xml-encode.js';

/** The wire protocols the simulator answers. */
export type Protocol = 'ec2' | 'query' | 'rest-json' | 'json-1.0' | 'json-1.1';

/** A request as the server read it. */
export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request decoded into a service call. */
export interface DecodedCall {
  protocol: Protocol;
  service: SimService['name'];
  operation: string;
  /** Decoded input; absent when decoding failed (then `error` is set). */
  input: Record<string, unknown>;
  /** Decoding error to answer with (the call is still counted). */
  error?: SimError;
}

/** An HTTP answer. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const QUERY_VERSIONS: Record<
  string,
  { service: SimService['name']; protocol: Protocol; sdk: Record<string, unknown> }
> = {
  '2016-11-15': { service: 'EC2', protocol: 'ec2', sdk: ec2Sdk },
  '2011-06-15': { service: 'STS', protocol: 'query', sdk: stsSdk },
};

const JSON_TARGETS: Record<string, { service: SimService['name']; protocol: Protocol }> = {
  AWSInsightsIndexService: { service: 'CostExplorer', protocol: 'json-1.1' },
  AWSBudgetServiceGateway: { service: 'Budgets', protocol: 'json-1.1' },
  GraniteServiceVersion20100801: { service: 'CloudWatch', protocol: 'json-1.0' },
};

/** The SDK operation schema `[9, ns, name, traits, input, output]` of a Query operation. */
function operationSchema(protocol: Protocol, operation: string): unknown[] | undefined {
  const entry = Object.values(QUERY_VERSIONS).find((v) => v.protocol === protocol);
  if (entry === undefined || !/^[A-Z][A-Za-z0-9]*$/.test(operation)) return undefined;
  const schema = Object.hasOwn(entry.sdk, `${operation}$`) ? entry.sdk[`${operation}$`] : undefined;
  return Array.isArray(schema) && schema[0] === 9 ? schema : undefined;
}

function header(req: RawRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The Region of the SigV4 credential scope, `Credential=AKID/20260101/eu-west-1/ec2/aws4_request`. */
export function signingRegion(req: RawRequest): string | undefined {
  const auth = header(req, 'authorization') ?? '';
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(auth)?.[1];
}

function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  const parsed: unknown = JSON.parse(body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SyntaxError('body is not a JSON object');
  return parsed as Record<string, unknown>;
}

function decodeQuery(req: RawRequest): DecodedCall | undefined {
  const params = parseForm(req.body);
  for (const [k, v] of req.query) if (!params.has(k)) params.set(k, v);
  const action = params.get('Action');
  const version = QUERY_VERSIONS[params.get('Version') ?? ''];
  if (action === undefined || version === undefined) return undefined;
  const call: DecodedCall = { protocol: version.protocol, service: version.service, operation: action, input: {} };
  const schema = operationSchema(version.protocol, action);
  if (schema === undefined) {
    call.error = new SimError('InvalidAction', `The action ${action} is not valid for this web service.`);
    return call;
  }
  try {
    call.input = decodeQueryInput(schema[4], params, version.protocol === 'ec2' ? 'ec2' : 'query');
  } catch (err: unknown) {
    call.error = err instanceof SimError ? err : new SimError('InvalidParameterValue', String(err));
  }
  return call;
}

function decodeJson(call: Omit<DecodedCall, 'input'>, body: string): DecodedCall {
  try {
    return { ...call, input: parseJsonBody(body) };
  } catch {
    const code = call.protocol === 'rest-json' ? 'ClientException' : 'SerializationException';
    return { ...call, input: {}, error: new SimError(code, 'Request body is not valid JSON.') };
  }
}

/** Batch REST paths: `POST /v1/<operation in lower case>` and `/v1/tags/{resourceArn}`. */
function decodeBatch(req: RawRequest, batch: SimService | undefined): DecodedCall {
  const base = { protocol: 'rest-json' as const, service: 'Batch' as const };
  const tags = /^\/v1\/tags\/(.+)$/.exec(req.path);
  if (tags) {
    const resourceArn = decodeURIComponent(tags[1] ?? '');
    const operation =
      req.method === 'GET' ? 'ListTagsForResource' : req.method === 'DELETE' ? 'UntagResource' : 'TagResource';
    const call = decodeJson({ ...base, operation }, req.body);
    call.input = { ...call.input, resourceArn };
    if (operation === 'UntagResource') call.input.tagKeys = req.query.getAll('tagKeys');
    return call;
  }
  const lower = req.path.slice('/v1/'.length).toLowerCase();
  const operation = Object.keys(batch?.operations ?? {}).find((op) => op.toLowerCase() === lower) ?? lower;
  return decodeJson({ ...base, operation }, req.body);
}

/**
 * Image Builder REST paths: `PUT|GET|POST|DELETE /<Operation>` (members of GET and DELETE calls in
 * the query string, the others in the JSON body) and `/tags/{resourceArn}`.
 */
function decodeImageBuilder(req: RawRequest, imageBuilder: SimService | undefined): DecodedCall | undefined {
  const base = { protocol: 'rest-json' as const, service: 'ImageBuilder' as const };
  const tags = /^\/tags\/(.+)$/.exec(req.path);
  if (tags) {
    const resourceArn = decodeURIComponent(tags[1] ?? '');
    const operation =
      req.method === 'GET' ? 'ListTagsForResource' : req.method === 'DELETE' ? 'UntagResource' : 'TagResource';
    const call = decodeJson({ ...base, operation }, req.body);
    call.input = { ...call.input, resourceArn };
    if (operation === 'UntagResource') call.input.tagKeys = req.query.getAll('tagKeys');
    return call;
  }
  const operation = req.path.slice(1);
  if (imageBuilder === undefined || !Object.hasOwn(imageBuilder.operations, operation)) return undefined;
  const call = decodeJson({ ...base, operation }, req.body);
  for (const [name, value] of req.query) call.input[name] = value;
  return call;
}

/** Whether a request is signed for Image Builder (`Credential=AKID/DATE/REGION/imagebuilder/aws4_request`). */
function signedForImageBuilder(req: RawRequest): boolean {
  return /Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/imagebuilder\//.test(header(req, 'authorization') ?? '');
}

/** Decodes a request into a call, or undefined when no AWS protocol matches. */
export function decodeCall(req: RawRequest, services: ReadonlyMap<string, SimService>): DecodedCall | undefined {
  const target = header(req, 'x-amz-target');
  if (target !== undefined) {
    const [prefix = '', operation = ''] = target.split('.');
    const known = JSON_TARGETS[prefix];
    if (known === undefined) return undefined;
    return decodeJson({ ...known, operation }, req.body);
  }
  if (req.path.startsWith('/v1/')) return decodeBatch(req, services.get('Batch'));
  if (/^\/[A-Z][A-Za-z]+$/.test(req.path) || (req.path.startsWith('/tags/') && signedForImageBuilder(req)))
    return decodeImageBuilder(req, services.get('ImageBuilder'));
  return decodeQuery(req);
}

function jsonText(value: unknown, epochMillis: boolean): string {
  return JSON.stringify(value ?? {}, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return epochMillis ? raw.getTime() : raw.getTime() / 1000;
    return v;
  });
}

/** Encodes a handler's result for the protocol of the call. */
export function encodeResult(call: DecodedCall, result: unknown, requestId: string): WireResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (call.protocol === 'ec2' || call.protocol === 'query') {
    const schema = operationSchema(call.protocol, call.operation);
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
    if (call.protocol === 'ec2') {
      out.push(
        `<${call.operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>`,
      );
      writeXmlMembers(schema?.[5], result, out);
    } else {
      out.push(
        `<${call.operation}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${call.operation}Result>`,
      );
      writeXmlMembers(schema?.[5], result, out);
      out.push(`</${call.operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`);
    }
    out.push(`</${call.operation}Response>`);
    return { status: 200, headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' }, body: out.join('') };
  }
  const contentType = call.protocol === 'rest-json' ? 'application/json' : `application/x-amz-${call.protocol}`;
  return { status: 200, headers: { ...headers, 'content-type': contentType }, body: jsonText(result, false) };
}

/** Encodes an error the way the service of the call (or EC2, when unknown) sends errors. */
export function encodeError(protocol: Protocol, error: SimError, requestId: string): WireResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  const code = escapeXml(error.code);
  const message = escapeXml(error.message);
  if (protocol === 'ec2') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
    return { status: error.status, headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' }, body };
  }
  if (protocol === 'query') {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: error.status, headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' }, body };
  }
  const contentType = protocol === 'rest-json' ? 'application/json' : `application/x-amz-${protocol}`;
  const errorHeaders: Record<string, string> = {
    ...headers,
    'content-type': contentType,
    'x-amzn-errortype': error.code,
  };
  if (protocol === 'json-1.0')
    errorHeaders['x-amzn-query-error'] = `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
  return {
    status: error.status,
    headers: errorHeaders,
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}
