#!/usr/bin/env python
from outsourcing.cli import main

if __name__ == "__main__":
    main()
