// Runs the @nestjs/swagger CLI plugin under ts-jest, with the options nest-cli.json gives
// `nest build`, so DTO schemas in tests are the ones users get.
const plugin = require('@nestjs/swagger/plugin');
const nestCli = require('../../nest-cli.json');

const options = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger').options;

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => plugin.before(options, compiler.program);
