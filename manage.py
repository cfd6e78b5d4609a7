#!/usr/bin/env python
from cityline.cli import main

if __name__ == "__main__":
    main()
