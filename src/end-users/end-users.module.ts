import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EndUsersService } from './end-users.service';
import { EndUser } from './entities/end-user.entity';

/** No routes: end users are created just in time by the Tokens API. */
@Module({
  imports: [TypeOrmModule.forFeature([EndUser])],
  providers: [EndUsersService],
  exports: [EndUsersService],
})
export class EndUsersModule {}
