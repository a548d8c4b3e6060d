import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { ProblemError, problemErrorHandler, problemNotFound } from './problem.js';

function app(report: (m: string, e: unknown) => void = () => {}) {
  const a = new Hono()
    .get('/boom', () => {
      throw new Error('secret path /etc/passwd at line 3');
    })
    .get('/teapot', () => {
      throw new ProblemError({ status: 400, detail: 'bad "x"', extensions: { parameter: 'x' } });
    })
    .get('/auth', () => {
      throw new HTTPException(401, {
        message: 'needs a token',
        res: new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
      });
    });
  a.onError(problemErrorHandler({ report }));
  a.notFound(problemNotFound);
  return a;
}

describe('problem details', () => {
  it('turns an unexpected error into a 500 problem without the message or stack', async () => {
    const reported: unknown[] = [];
    const res = await app((_, err) => reported.push(err)).request('/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'the server failed to answer this request',
    });
    expect(body).not.toContain('passwd');
    expect(reported).toHaveLength(1);
  });

  it('answers a ProblemError as it was thrown, extensions included', async () => {
    const res = await app().request('/teapot');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'bad "x"',
      parameter: 'x',
    });
  });

  it("keeps an HTTPException's status, message and headers", async () => {
    const res = await app().request('/auth');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).detail).toBe('needs a token');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await app().request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, detail: 'no route for GET /nope' });
  });
});
