/** Reading a recorded message of a load run: whether its status says it was accepted (its body: bodyOf of src/harness/expect.ts). */

/** A 2xx status: the request or the message was accepted. */
export const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
