/**
 * The command's socket, bound before the app is loaded (the model is systemd's socket activation;
 * kube-apiserver also serves while its post-start hooks run): clients may connect from the banner
 * on, and their connections wait, unread, until the app is ready to take them.
 *
 * A plain TCP server (`pauseOnConnect`: nothing is read from a connection, so a TLS handshake and an
 * HTTP request are not even begun) holds the connections in arrival order. The app's HTTP (or
 * HTTPS) server is made by `serverFactory`, Fastify's option, as Fastify makes its own (the same
 * settings), with no socket of its own: its `listen()` reports this binding, and `address()`
 * answers it. `release()` hands the held connections to it, in the order they came, and every later
 * one as it comes. So the app's server sees each connection as if it had accepted it itself, only
 * later: every answer is the one the app gives.
 */
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createHttpServer, type RequestListener, type Server as HttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';

/** What Fastify passes its serverFactory: its own options, with its defaults filled in. */
export interface ServerSettings {
  http?: ServerOptions;
  https?: HttpsServerOptions | boolean | null;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

export interface EarlyListener {
  /** The bound address (the port, when 0 was asked for). */
  readonly address: AddressInfo;
  /** The app's server (Fastify's `serverFactory`): made as Fastify makes its own, on this binding. */
  serverFactory(handler: RequestListener, settings: ServerSettings): HttpServer;
  /** Hands the held connections, then every later one, to the server serverFactory made. */
  release(): void;
  /** Stops listening and drops what is held (a start that failed). */
  close(): void;
}

/** Binds host:port (an IP address) and holds the connections; rejects as listen() does (EADDRINUSE, EACCES). */
export async function listenEarly(host: string, port: number): Promise<EarlyListener> {
  const held: Socket[] = [];
  const keepQuiet = (): void => {}; // a held connection's error (the client went away) is the app server's to see, if any
  let target: HttpServer | undefined;
  let app: HttpServer | undefined;
  const handOver = (socket: Socket): void => {
    socket.removeListener('error', keepQuiet);
    target!.emit('connection', socket);
    socket.resume(); // accepted paused: the server's parser, or TLS, now reads it
  };
  const tcp = createTcpServer({ pauseOnConnect: true }, (socket) => {
    if (target) return handOver(socket);
    socket.on('error', keepQuiet);
    held.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ host, port }, () => {
      tcp.removeListener('error', reject);
      resolve();
    });
  });
  const address = tcp.address() as AddressInfo;
  return {
    address,
    serverFactory(handler, settings) {
      // As Fastify's getServerInstance (lib/server.js) makes its HTTP/1 server.
      const https = settings.https === true ? {} : settings.https;
      const server = https ? createHttpsServer(https, handler) : createHttpServer(settings.http ?? {}, handler);
      if (settings.keepAliveTimeout !== undefined) server.keepAliveTimeout = settings.keepAliveTimeout;
      if (settings.requestTimeout !== undefined) server.requestTimeout = settings.requestTimeout;
      server.setTimeout(settings.connectionTimeout ?? 0);
      if (settings.maxRequestsPerSocket) server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
      // Listening is this binding's: listen() only says so, and close() ends it too.
      server.listen = function listen() {
        process.nextTick(() => server.emit('listening'));
        return server;
      } as HttpServer['listen'];
      server.address = () => address;
      const closeServer = server.close;
      server.close = function close(callback?: (err?: NodeJS.ErrnoException) => void) {
        tcp.close();
        // The app's server never had a socket of its own to close: not an error here.
        return closeServer.call(server, (err?: NodeJS.ErrnoException) =>
          callback?.(err?.code === 'ERR_SERVER_NOT_RUNNING' ? undefined : err),
        );
      };
      app = server;
      return server;
    },
    release() {
      if (!app) throw new Error('release() before the server was made');
      target = app;
      for (const socket of held.splice(0)) handOver(socket);
    },
    close() {
      tcp.close();
      for (const socket of held.splice(0)) socket.destroy();
    },
  };
}
