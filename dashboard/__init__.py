"""reach: how far an international programme of educational webinars reaches."""
