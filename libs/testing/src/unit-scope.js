// Jest setup of the `unit` project (jest.config.js): marks the run so the helpers that reach real
// infrastructure refuse, naming the file name a spec that needs it must have.
process.env.VRS_TEST_SCOPE = 'unit';
