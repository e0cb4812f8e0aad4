-- Runs once, on an empty data directory (docker-entrypoint-initdb.d). One database per service;
-- `create-infra-objects` (the compose `init` service) also creates any that are missing.
CREATE DATABASE vrs_gateway;
CREATE DATABASE vrs_orchestrator;
CREATE DATABASE vrs_render;
CREATE DATABASE vrs_stitcher;
CREATE DATABASE vrs_notifier;
