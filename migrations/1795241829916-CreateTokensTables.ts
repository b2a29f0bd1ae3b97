import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateTokensTables1795241829916 implements MigrationInterface {
    name = 'CreateTokensTables1795241829916'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" text,
                "action" text NOT NULL,
                "actor" text,
                "tenant_id" text,
                "workspace_id" text,
                "dashboard_id" text,
                "end_user_id" text,
                "jti" text,
                "detail" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "audit_events_org_tenant_time" ON "audit_events" ("organization_id", "tenant_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "audit_events_org_time" ON "audit_events" ("organization_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "end_users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" text NOT NULL,
                "workspace_id" text NOT NULL,
                "tenant_id" text,
                "external_id" text,
                "email" text,
                "display_name" text,
                "role" text NOT NULL DEFAULT 'VIEWER',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "end_users_identified" CHECK (
                    "external_id" IS NOT NULL
                    OR "email" IS NOT NULL
                ),
                CONSTRAINT "end_users_role" CHECK ("role" IN ('VIEWER', 'POWER_USER')),
                CONSTRAINT "PK_6c40dcf89afaac08b0b653de008" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "end_users_tenant_email" ON "end_users" (
                "organization_id",
                "workspace_id",
                "tenant_id",
                "email"
            )
            WHERE "email" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "end_users_external_id" ON "end_users" ("organization_id", "workspace_id", "external_id")
            WHERE "external_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "semantic_domains" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" text NOT NULL,
                "workspace_id" text NOT NULL,
                "name" text NOT NULL,
                "description" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "semantic_domains_name" UNIQUE ("organization_id", "workspace_id", "name"),
                CONSTRAINT "PK_08a756563098f4044ca6ceeb3e6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "signing_keys" (
                "kid" text NOT NULL,
                "alg" text NOT NULL DEFAULT 'ES256',
                "public_jwk" jsonb NOT NULL,
                "private_key_sealed" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "rotated_at" TIMESTAMP WITH TIME ZONE,
                "retire_after" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "signing_keys_one_active" ON "signing_keys" ("alg")
            WHERE "rotated_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "revocation_cutoffs" (
                "organization_id" text NOT NULL,
                "scope" text NOT NULL,
                "scope_id" text NOT NULL,
                "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "revocation_cutoffs_scope" CHECK ("scope" IN ('tenant', 'dashboard')),
                CONSTRAINT "PK_f5a0e0d8882395d25ff2c3c3191" PRIMARY KEY ("organization_id", "scope", "scope_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "revocation_cutoffs_updated" ON "revocation_cutoffs" ("updated_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "revoked_tokens" (
                "jti" text NOT NULL,
                "organization_id" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b18aa48269f87cafba8c6310624" PRIMARY KEY ("jti")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "revoked_tokens_created" ON "revoked_tokens" ("created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "semantic_domains"
            ADD CONSTRAINT "FK_eb29bdd7ec3f44035389f7fb67c" FOREIGN KEY ("organization_id", "workspace_id") REFERENCES "workspaces"("organization_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "semantic_domains" DROP CONSTRAINT "FK_eb29bdd7ec3f44035389f7fb67c"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."revoked_tokens_created"
        `);
        await queryRunner.query(`
            DROP TABLE "revoked_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."revocation_cutoffs_updated"
        `);
        await queryRunner.query(`
            DROP TABLE "revocation_cutoffs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."signing_keys_one_active"
        `);
        await queryRunner.query(`
            DROP TABLE "signing_keys"
        `);
        await queryRunner.query(`
            DROP TABLE "semantic_domains"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."end_users_external_id"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."end_users_tenant_email"
        `);
        await queryRunner.query(`
            DROP TABLE "end_users"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."audit_events_org_time"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."audit_events_org_tenant_time"
        `);
        await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    }

}
