import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateTenantsAndWorkspaces1795240173824 implements MigrationInterface {
    name = 'CreateTenantsAndWorkspaces1795240173824'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "tenants" (
                "organization_id" text NOT NULL,
                "id" text NOT NULL,
                "name" text NOT NULL,
                "status" text NOT NULL DEFAULT 'active',
                "allowed_origins" jsonb NOT NULL DEFAULT '[]',
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "tenants_status" CHECK ("status" IN ('active', 'suspended')),
                CONSTRAINT "PK_c48850070eebc5e8552f56a0c7f" PRIMARY KEY ("organization_id", "id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "workspaces" (
                "organization_id" text NOT NULL,
                "id" text NOT NULL,
                "name" text NOT NULL,
                "provider" text NOT NULL,
                "api_url" text,
                "api_key_id" text,
                "secret_key_sealed" text,
                "embed_url" text,
                "project_secret_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "workspaces_provider" CHECK ("provider" IN ('builtin', 'papermap')),
                CONSTRAINT "PK_114dfd0cf51fa4a8ec072aaa552" PRIMARY KEY ("organization_id", "id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "workspaces_id" ON "workspaces" ("id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."workspaces_id"
        `);
        await queryRunner.query(`
            DROP TABLE "workspaces"
        `);
        await queryRunner.query(`
            DROP TABLE "tenants"
        `);
    }

}
