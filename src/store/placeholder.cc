// Placeholder until the module lands.
namespace liaison {}
