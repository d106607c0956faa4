"""The simpy engine: arrivals, queues, agents, tier 2, repeat calls, reviews."""
