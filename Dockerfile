# backorder's image: one image for every process (web, worker, migrate); compose.yaml picks the command.
# The build steps live in scripts/image-build.sh, which the tests run too (production-install.test.ts).
FROM node:20-bookworm-slim
COPY --chown=node:node . /app
WORKDIR /app
USER node
RUN sh scripts/image-build.sh
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
# node itself, not `npm run web`: npm's shell would swallow the SIGTERM a stop sends (docs/operator-guide.md).
CMD ["node", "scripts/run.mjs", "web"]
