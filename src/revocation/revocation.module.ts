import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevocationCutoff } from './entities/revocation-cutoff.entity';
import { RevokedToken } from './entities/revoked-token.entity';
import { RevocationService } from './revocation.service';

@Module({
  imports: [TypeOrmModule.forFeature([RevokedToken, RevocationCutoff])],
  providers: [RevocationService],
  exports: [RevocationService],
})
export class RevocationModule {}
