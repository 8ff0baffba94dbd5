# backorder's image: one image for every process (web, worker, migrate); compose.yaml picks the command.
# The build steps live in scripts/image-build.sh, which the tests run too (production-install.test.ts).
FROM node:20-bookworm-slim
COPY --chown=node:node . /app
WORKDIR /app
USER node
RUN sh scripts/image-build.sh
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["npm", "run", "web"]
