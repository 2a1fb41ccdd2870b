import type { APIRoute } from 'astro';
import { db } from '../web/db';

/** 200 when the database answers a query, 503 otherwise (for load balancers and monitors). */
export const GET: APIRoute = () => {
  try {
    db().$client.prepare('select 1').get();
    return new Response('ok\n', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
  } catch {
    return new Response('database unavailable\n', { status: 503, headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
  }
};
