"""borderwatch: border-crisis management for every authority in the chain."""
