# gongpei: one image for the API (`serve`) and the workers (`worker`).
# Build:  docker build -t gongpei .
# Run:    docker compose up   (see docker-compose.yml)

# ---- build stage: compilers for better-sqlite3's native addon live only here
FROM node:22-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only (tsx is one: the CLI runs TypeScript from source, no build step).
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime stage: no compilers, no dev dependencies, not root
FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/app/data/gongpei.db
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node src ./src
COPY --chown=node:node workers ./workers
COPY --chown=node:node data ./data
USER node
EXPOSE 3000
# Migrate (and load the county network) before serving; both steps are idempotent.
CMD ["sh", "-c", "node bin/gongpei.js db migrate && exec node bin/gongpei.js serve"]
