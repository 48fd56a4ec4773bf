# voxtrace, CPU build. The model is mounted at /models (see docker-compose.yml); for CUDA,
# start from an nvidia/cuda runtime image and add `RUN npm run install:cuda`.
FROM node:20.19-bookworm-slim
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev
USER node
ENTRYPOINT ["node", "/app/bin/voxtrace.js"]
