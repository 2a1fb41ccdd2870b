import type { APIRoute } from 'astro';
import { isDatabaseAvailable } from '../services/health';
import { db } from '../web/app';

/** 200 when the database answers a query, 503 otherwise (for load balancers and monitors). */
export const GET: APIRoute = async () =>
  await isDatabaseAvailable(db())
    ? new Response('ok\n', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } })
    : new Response('database unavailable\n', { status: 503, headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
