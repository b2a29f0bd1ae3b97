import { createHmac } from 'node:crypto';
import request from 'supertest';

/** Small factories that build data through the public API, as a client app would. */
export async function createWorkspace(url: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<{ id: string; project_secret: string }> {
  const res = await request(url).post('/api/v1/workspaces').set(headers).send(body).expect(201);
  return res.body.data;
}

export async function createApiKey(url: string, headers: Record<string, string>): Promise<{ api_key_id: string; secret_key: string }> {
  const res = await request(url).post('/api/v1/api-keys').set(headers).send({ name: 'test' }).expect(201);
  return res.body.data;
}

/** An independent implementation of seed 000's signature, to check ours against. */
export function hmacHeaders(apiKeyId: string, workspaceId: string, secret: string, validUntil = Math.floor(Date.now() / 1000) + 300): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${workspaceId}${validUntil}`).digest('hex');
  return { 'X-API-Key-ID': apiKeyId, 'X-Workspace-ID': workspaceId, 'X-Valid-Until': String(validUntil), 'X-Signature': signature };
}
