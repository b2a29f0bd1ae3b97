import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateInstallation1795238980219 implements MigrationInterface {
    name = 'CreateInstallation1795238980219'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "installation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "singleton" boolean NOT NULL DEFAULT true,
                "created_by_version" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_573d1dd9f210243e9aed26d9440" UNIQUE ("singleton"),
                CONSTRAINT "installation_singleton" CHECK ("singleton"),
                CONSTRAINT "PK_f0cd0b17a45357b5e1da1da1680" PRIMARY KEY ("id")
            )
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP TABLE "installation"
        `);
    }

}
