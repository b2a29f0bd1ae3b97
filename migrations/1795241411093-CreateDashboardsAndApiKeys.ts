import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateDashboardsAndApiKeys1795241411093 implements MigrationInterface {
    name = 'CreateDashboardsAndApiKeys1795241411093'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "api_keys" (
                "id" text NOT NULL,
                "organization_id" text NOT NULL,
                "name" text,
                "secret_sealed" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "api_keys_organization" ON "api_keys" ("organization_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "dashboards" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "workspace_id" text NOT NULL,
                "dashboard_id" text,
                "name" text NOT NULL,
                "description" text,
                "status" text NOT NULL DEFAULT 'pending',
                "secret_hash" text,
                "created_by" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "dashboards_provider_id" UNIQUE ("dashboard_id"),
                CONSTRAINT "dashboards_one_per_tenant" UNIQUE ("organization_id", "tenant_id"),
                CONSTRAINT "dashboards_active_complete" CHECK (
                    "status" = 'pending'
                    OR (
                        "dashboard_id" IS NOT NULL
                        AND "secret_hash" IS NOT NULL
                    )
                ),
                CONSTRAINT "dashboards_status" CHECK ("status" IN ('pending', 'active')),
                CONSTRAINT "PK_1b4b4bc346118e0d335f16c5344" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "dashboards_workspace" ON "dashboards" ("organization_id", "workspace_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "builtin_dashboards" (
                "id" text NOT NULL,
                "organization_id" text NOT NULL,
                "workspace_id" text NOT NULL,
                "title" text NOT NULL,
                "description" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4e8cfba2d4ee31e487ba7e74c03" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "builtin_dashboards_workspace" ON "builtin_dashboards" ("organization_id", "workspace_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "dashboards"
            ADD CONSTRAINT "FK_292e7729e54d5ecad00232c2980" FOREIGN KEY ("organization_id", "tenant_id") REFERENCES "tenants"("organization_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "dashboards"
            ADD CONSTRAINT "FK_87c5586bdc7fe897af868d1b8d0" FOREIGN KEY ("organization_id", "workspace_id") REFERENCES "workspaces"("organization_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "builtin_dashboards"
            ADD CONSTRAINT "FK_e2d49bcf8d39960eca17e19434d" FOREIGN KEY ("organization_id", "workspace_id") REFERENCES "workspaces"("organization_id", "id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "builtin_dashboards" DROP CONSTRAINT "FK_e2d49bcf8d39960eca17e19434d"
        `);
        await queryRunner.query(`
            ALTER TABLE "dashboards" DROP CONSTRAINT "FK_87c5586bdc7fe897af868d1b8d0"
        `);
        await queryRunner.query(`
            ALTER TABLE "dashboards" DROP CONSTRAINT "FK_292e7729e54d5ecad00232c2980"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."builtin_dashboards_workspace"
        `);
        await queryRunner.query(`
            DROP TABLE "builtin_dashboards"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."dashboards_workspace"
        `);
        await queryRunner.query(`
            DROP TABLE "dashboards"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."api_keys_organization"
        `);
        await queryRunner.query(`
            DROP TABLE "api_keys"
        `);
    }

}
