import { ErrorCode, ProtocolError, type ErrorBody } from '@tertulia/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The HTTP status for each protocol error code, so HTTP clients get the same stable codes as the WebSocket. */
const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.MalformedMessage]: 400,
  [ErrorCode.MessageTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.TooManyConnections]: 429,
  [ErrorCode.RoomFull]: 409,
  [ErrorCode.ServerBusy]: 503,
  [ErrorCode.UnknownMethod]: 404,
  [ErrorCode.InvalidRequest]: 400,
  [ErrorCode.InvalidRoomName]: 400,
  [ErrorCode.NotJoined]: 409,
  [ErrorCode.AlreadyJoined]: 409,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.AuthenticationRequired]: 401,
  [ErrorCode.AuthenticationFailed]: 401,
  [ErrorCode.PasswordRequired]: 401,
  [ErrorCode.PasswordIncorrect]: 403,
  [ErrorCode.LobbyDenied]: 403,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MediaError]: 502,
  [ErrorCode.RecordingUnavailable]: 403,
  [ErrorCode.AlreadyRecording]: 409,
  [ErrorCode.RecordingInProgress]: 409,
  [ErrorCode.RecordingLimit]: 503,
  [ErrorCode.ShuttingDown]: 503,
  [ErrorCode.Internal]: 500,
};

export function sendError(reply: FastifyReply, error: ErrorBody): FastifyReply {
  return reply.code(HTTP_STATUS[error.code]).send(error);
}

/**
 * Makes every error in this (encapsulated) part of the app a JSON `{ code, message }`:
 * protocol errors keep their code, fastify's own 4xx (bad JSON, wrong content type,
 * body too large) become INVALID_REQUEST or MESSAGE_TOO_LARGE, anything else is logged and INTERNAL_ERROR.
 */
export function jsonErrors(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ProtocolError) return sendError(reply, error.toJSON());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? ErrorCode.MessageTooLarge : ErrorCode.InvalidRequest;
      return reply.code(status).send({ code, message: (error as Error).message });
    }
    request.log.error({ err: error }, 'operations request failed');
    return sendError(reply, { code: ErrorCode.Internal, message: 'The server could not complete this request.' });
  });
}

/** Answers unknown routes under this prefix with a JSON NOT_FOUND. */
export function jsonNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, { code: ErrorCode.NotFound, message: `No ${request.method} ${request.url.split('?')[0]} here.` }),
  );
}
