// @ts-nocheck
/* eslint-disable */
export default async () => {
    const t = {};
    return { "@nestjs/swagger": { "models": [], "controllers": [[import("../../../../libs/health/src/health.controller"), { "HealthController": { "live": { summary: "Liveness: 200 while the process serves HTTP. Checks no dependency, so a database outage never restarts pods.", type: Object }, "ready": { summary: "Readiness: 200 only while the database answers and memory and disk are within their limits.", type: Object } } }]] } };
};