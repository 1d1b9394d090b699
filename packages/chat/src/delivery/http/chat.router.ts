import { Router, type Request, type Response } from 'express';
import { authenticate, principalOf } from '@sd/auth/delivery/http/authenticate.middleware';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import { messageView, type ChatHub } from '../../usecase/chat-hub';

/** History over REST: `GET /chat/channels/:channel/messages` and `GET /chat/direct/:userId/messages`, `?before=&limit=`. */
export function createChatRouter(hub: ChatHub, authenticator: Authenticator): Router {
  const router = Router();
  const page = async (res: Response, target: { channel: string } | { withUser: string }, req: Request): Promise<void> => {
    const { messages, nextBefore } = await hub.history(principalOf(res).userId, target, req.query.before, req.query.limit);
    res.json({ messages: messages.map(messageView), next_before: nextBefore });
  };
  router.get('/chat/channels/:channel/messages', authenticate(authenticator), (req: Request<{ channel: string }>, res: Response) =>
    page(res, { channel: req.params.channel }, req),
  );
  router.get('/chat/direct/:userId/messages', authenticate(authenticator), (req: Request<{ userId: string }>, res: Response) =>
    page(res, { withUser: req.params.userId }, req),
  );
  return router;
}
