import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKey } from './entities/signing-key.entity';
import { JwksController } from './jwks.controller';
import { signingKeyRotationDays } from './key-rotation';
import { SIGNING_KEY_ROTATION_DAYS, SigningKeysService } from './signing-keys.service';

/** Token signing keys and `/.well-known/jwks.json`. Needs the global SecretBox and logger. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey])],
  controllers: [JwksController],
  providers: [
    SigningKeysService,
    // Read here, not in AppConfig: an optional override of the 30-day default, checked at start.
    { provide: SIGNING_KEY_ROTATION_DAYS, useFactory: () => signingKeyRotationDays(process.env) },
  ],
  exports: [SigningKeysService],
})
export class SigningKeysModule {}
