# syntax=docker/dockerfile:1
# kubemock: built on the full node:20 image (python3, make and g++ are there for better-sqlite3),
# run on the slim one with production dependencies only. .dockerignore keeps the context small.

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# The database and the kubeconfig live on /data, a volume owned by the unprivileged node user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8001
CMD ["node", "dist/main.js", "--host", "0.0.0.0", "--port", "8001", "--db", "/data/kubemock.db", "--kubeconfig", "/data/kubeconfig"]
