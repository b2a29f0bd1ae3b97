import { ConfigError } from '../config/config.error';
import { DEFAULT_ROTATION_DAYS, signingKeyRotationDays } from './key-rotation';

describe('signingKeyRotationDays', () => {
  it('should default to 30 days when SIGNING_KEY_ROTATION_DAYS is unset or blank', () => {
    expect(DEFAULT_ROTATION_DAYS).toBe(30);
    expect(signingKeyRotationDays({})).toBe(30);
    expect(signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: ' ' })).toBe(30);
  });

  it('should accept whole days from 1 to 365', () => {
    expect(signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: '1' })).toBe(1);
    expect(signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: '90' })).toBe(90);
    expect(signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: '365' })).toBe(365);
  });

  it.each(['0', '366', '-1', '1.5', '7d', 'thirty', '1e2'])('should refuse %p with a ConfigError naming the variable', (value) => {
    expect(() => signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: value })).toThrow(ConfigError);
    expect(() => signingKeyRotationDays({ SIGNING_KEY_ROTATION_DAYS: value })).toThrow(/SIGNING_KEY_ROTATION_DAYS must be an integer between 1 and 365/);
  });
});
