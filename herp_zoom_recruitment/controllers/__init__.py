from . import offer
