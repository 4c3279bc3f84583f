/** AWS's clock as its replies carry it. */
import type { DescribeInstancesCommand } from '@aws-sdk/client-ec2';

/**
 * Reads AWS's clock off a command's reply: the HTTP `Date` header of the last response it got
 * (retries included), as ISO-8601; undefined when no reply carried a valid one.
 */
export function replyDate(command: DescribeInstancesCommand): () => string | undefined {
  let date: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
      const at = Date.parse(headers?.date ?? headers?.Date ?? '');
      if (!Number.isNaN(at)) date = new Date(at).toISOString();
      return result;
    },
    { step: 'deserialize', name: 'labopsReplyDate' },
  );
  return () => date;
}
