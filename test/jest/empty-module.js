// Stands in for modules the Pulumi SDK loads but no unit test uses (see jest.config.js).
module.exports = {};
