import { Router, type Request, type Response } from 'express';
import type { Authenticator } from '@sd/domain/auth/authenticator';
import { authenticate, principalOf } from '@sd/http/authenticate';
import { messageView, type Target } from '../../usecase/conversation';
import type { ConversationsUseCase } from '../../usecase/conversations.usecase';

/**
 * History and unread counts over REST, `?before=&limit=` on the histories:
 * `GET /chat/messages` (every conversation of the user), `GET /chat/channels/:channel/messages`,
 * `GET /chat/direct/:userId/messages`, `GET /chat/unread`.
 */
export function createChatRouter(conversations: ConversationsUseCase, authenticator: Authenticator): Router {
  const router = Router();
  const auth = authenticate(authenticator);
  const page = async (req: Request, res: Response, target: Target | undefined): Promise<void> => {
    const { messages, nextBefore } = await conversations.history(principalOf(res).userId, target, req.query.before, req.query.limit);
    res.json({ messages: messages.map(messageView), next_before: nextBefore });
  };
  router.get('/chat/messages', auth, (req: Request, res: Response) => page(req, res, undefined));
  router.get('/chat/channels/:channel/messages', auth, (req: Request<{ channel: string }>, res: Response) => page(req, res, { channel: req.params.channel }));
  router.get('/chat/direct/:userId/messages', auth, (req: Request<{ userId: string }>, res: Response) => page(req, res, { withUser: req.params.userId }));
  router.get('/chat/unread', auth, async (_req: Request, res: Response) => void res.json(await conversations.unread(principalOf(res).userId)));
  return router;
}
