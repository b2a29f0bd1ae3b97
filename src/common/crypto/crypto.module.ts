import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/configuration';
import { SecretBox } from './secret-box';

/** The one SecretBox, keyed by ENCRYPTION_KEY. */
@Global()
@Module({
  providers: [{ provide: SecretBox, inject: [AppConfig], useFactory: (config: AppConfig) => new SecretBox(config.encryptionKey) }],
  exports: [SecretBox],
})
export class CryptoModule {}
